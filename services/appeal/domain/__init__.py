"""Pure appeal rules: which subjects may be appealed, by when, and how an appeal moves on.

Standard library, pydantic, the reference policy and kernel errors only: no boto3, no Powertools.
"""
