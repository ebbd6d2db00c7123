"""Security tests reuse the Slack and Teams harness fixtures."""

from tests.slack.conftest import fake_slack, slack_settings  # noqa: F401
from tests.teams.conftest import connector  # noqa: F401
