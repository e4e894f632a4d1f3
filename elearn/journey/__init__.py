"""The learner's journey: where they are in the course and what follows each thing they do.

``state`` loads a learner's progress for a request (pages done, modules passed, certificate) and
works out every module's status and where to carry on. ``progression`` carries out the actions
that move a learner on (opening and finishing a page, submitting a quiz, signing in) and decides
what follows: a module or the course completed, a certificate issued, the next step to offer.
``surveys`` decides which feedback survey is open to a learner and which to offer next.
"""
