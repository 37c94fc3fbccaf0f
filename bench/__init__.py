"""Scale benchmarks: they measure and report; the test suite asserts behaviour (see README.md)."""
