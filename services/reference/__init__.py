"""Reference data of the back office: training catalogue, partnerships and procedure policy.

The data lives in versioned JSON files under ``data/``; an operator replaces a file and
redeploys. Nothing is read at import time: each set is loaded and cached at first use.
"""
