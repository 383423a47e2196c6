"""Words the user reads, in one place for the command line and the windows alike (Qt-free).

- ``words``: dates, times, durations, plurals.
- ``license_facts``: product names, licensee, expiry, features, seats, notes after activation.
- ``problems``: a failure as a ``Problem`` (title, sentence, steps, action, support code) and
  its one-line summary; the texts themselves are the table in ``app.domain.problems``.

Layering: a sibling of ``app.api`` and ``app.platform`` (it uses ``app.domain`` only); both
``app.cli`` and ``app.ui`` import it.
"""
