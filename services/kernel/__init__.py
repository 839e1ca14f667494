"""Shared kernel: what every service needs and nothing domain-specific.

The event envelope and event models (the contract between services), the publisher and consumer
plumbing for the bus, the HTTP resolver (kernel.http) with its problems (kernel.problems) and
callers (kernel.auth), the clock, and the identifier checks that the whole procedure speaks in
(enterprise, establishment and national register numbers). Code enters the kernel only when two
services need it.
"""
