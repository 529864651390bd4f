"""I/O: the Inspector facade, paginated fetchers and region fan-out (the only boto3 user)."""
