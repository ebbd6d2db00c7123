"""New-hire onboarding: a tour of an agency's key rules, then a scenario quiz."""
