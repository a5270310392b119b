"""An article's text with its claims highlighted.

``runs`` cuts a revision's text into runs carrying their mentions; ``writer`` is the shared,
escaping HTML writer; ``public`` writes the public article page's text, claim list and
popovers; ``desk`` writes the desk workspace's text and claims list.
"""
