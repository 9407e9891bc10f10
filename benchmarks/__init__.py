"""Performance benchmarks of lossbook (not part of the installed package). Run: ``python -m benchmarks.run``."""
