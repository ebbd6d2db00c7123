from tests.pio.db_urls import db

__all__ = ["db"]
