"""Answering a survey, one module per concern:

- :mod:`.links`: whether a survey takes answers, and with which version and wave an open link
  collects them (read in one query for a submission);
- :mod:`.pages`: which section comes next, the progress, a page's answers read from its form;
- :mod:`.drafts`: keeping a draft (on the invitation, or in the session for an open link) and
  sending it; an invitation's submission, exactly once;
- :mod:`.display`: what a page shows, question by question, and its error summary;
- :mod:`.submission`: the JSON submission body of scripts;
- :mod:`.ratelimit`: the open link's rate limit.

The pages themselves (``views/respond.py``) only parse the request, call these and render.
"""
