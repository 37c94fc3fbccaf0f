"""Demo and synthetic data: not use cases, so kept apart from ``services``; built through the
services like the screens.
"""
