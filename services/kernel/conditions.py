"""The conditions of recognition a refusal may name as not met (DOMAIN.md section 2): the four
company conditions and the mentor conditions, as one closed set of codes shared by the review API
(which validates them), the DecisionRecorded event, intake's application view, the notices (which
print them in words, never as codes) and the portal's decision form.

Adding a code changes the contract: it is a new value every consumer must know (a new event
version), so the set is kept here, once.
"""

from typing import Literal, get_args

ConditionCode = Literal[
    # Company conditions 1-4, named as the employer's declarations are (intake's declarations).
    "organisation_and_equipment",  # 1. organisation and equipment allow training per the training plan
    "financial_capacity",  # 2. enough financial capacity to guarantee continuity until the learner finishes
    "no_disqualifying_convictions",  # 3. no convictions that endanger continuity or the learning environment
    "eligible_mentor",  # 4. at least one mentor who meets the mentor conditions
    # The mentor conditions (what condition 4 rests on).
    "mentor_criminal_record_extract",  # a criminal-record extract model 596.2 per mentor
    "mentor_age",  # at least 25 years old (23 with a derogation)
    "mentor_experience",  # at least 5 years of practical experience (or a derogation on prior education)
]

CONDITION_CODES: tuple[str, ...] = get_args(ConditionCode)

# For the OpenAPI document (English; the notices have their own Dutch and English words).
CONDITION_DESCRIPTION = (
    "The conditions of recognition the refusal finds not met (only with outcome `refused`, optional, each at "
    "most once): company conditions `organisation_and_equipment` (1: organisation and equipment allow training "
    "per the training plan), `financial_capacity` (2: enough financial capacity to guarantee continuity until "
    "the learner finishes), `no_disqualifying_convictions` (3: no convictions that endanger continuity or the "
    "learning environment), `eligible_mentor` (4: at least one mentor who meets the mentor conditions); mentor "
    "conditions `mentor_criminal_record_extract` (an extract model 596.2 per mentor), `mentor_age` (at least "
    "25, or 23 with a derogation), `mentor_experience` (at least 5 years of practical experience, or a "
    "derogation on prior education). The refusal notice names each in words with its legal basis; `reasons` "
    "still gives the facts."
)
