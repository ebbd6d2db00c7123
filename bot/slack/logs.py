"""Keep Slack payloads (which can hold a draft post) out of every log.

slack_sdk logs request bodies at DEBUG and bolt logs the body of a request whose
signature fails at INFO. Our loggers for bolt and the Web API client carry this
filter; bolt copies it onto every logger it creates from the base logger.
"""

from __future__ import annotations

import logging

BOLT_LOGGER = "bot.slack.bolt"
WEB_LOGGER = "bot.slack.webapi"


class NoPayloadFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG:
            return False  # only payload dumps and tracing live at DEBUG in slack_sdk/bolt
        message = str(record.msg)
        if message.startswith("Invalid request signature detected"):
            record.msg = "Invalid request signature detected (request body withheld)"
            record.args = ()
        return True


def redacting_logger(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    if not any(isinstance(f, NoPayloadFilter) for f in logger.filters):
        logger.addFilter(NoPayloadFilter())
    return logger
