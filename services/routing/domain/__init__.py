"""Pure routing rules: which partnership decides an application, and by when.

Standard library and the reference package only: no boto3, no Powertools.
"""
