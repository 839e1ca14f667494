"""Pure intake rules: what a draft may hold, what a submission needs. No boto3, no Powertools."""
