"""What tests, tools/ and bench/ share, on the test path (pyproject's pythonpath; tools/ and bench/ add tests/).

- ``testkit.identifiers``  valid Belgian numbers: enterprise, establishment, national register (mod 97)
- ``testkit.apigw``        an API Gateway HTTP API event (payload format 2.0), as the JWT authorizer passes it
- ``testkit.client``       the HTTP client of the local runtime's API (tokens per role, counts, optional retries)
- ``testkit.clock``        kernel.clock moved to a chosen instant, and the ``kernel_clock`` fixture
- ``testkit.tables``       tables and buckets provisioned from infra/template.yaml (in moto)
- ``testkit.world``        two companies with a resource of every kind, for the authorisation matrix and fuzzing

Nothing here imports a test module; modules import only what they use (the client needs requests, the
tables boto3), so a tool pays for what it takes.
"""
