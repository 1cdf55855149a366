"""thidua: emulation movements and commendation (thi đua – khen thưởng) for public bodies."""

__version__ = "0.1.0"
