"""Optional NLP adapters (spaCy / presidio); the core reaches them only through protocols."""
