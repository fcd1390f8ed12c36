"""fivestar: the monthly five-star community officer evaluation (五星社区民警评选)."""

__version__ = "0.1.0"
