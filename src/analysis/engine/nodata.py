"""Why the data cannot give a quantity: raised by the table selections, caught by the kinds."""

from __future__ import annotations

from analysis.i18n import Text


class NoData(Exception):
    """The data cannot give what was asked for; ``reason`` says why, in the reader's words."""

    def __init__(self, reason: Text):
        super().__init__(reason.key)
        self.reason = reason
