"""Option lists built in Python: the queue's menus and the workspace's assignee list hold every active user.

A template loop spends some 10 microseconds an option (a lookup, a comparison and an escape, each through
the template's runtime); a desk of 200 people made the queue page render 400 of them. These return the same
``<option>`` elements, every value escaped, and keep the last lists built: the same people and sources come
back on page after page, so most pages only look them up.
"""

import functools

from markupsafe import Markup, escape

_UNSET = object()


def option_list(values, selected=None) -> Markup:
    """Return an ``<option>`` for each value (its own text), the one equal to ``selected`` selected."""
    return _options(tuple(values), selected)


def user_option_list(users, selected=_UNSET) -> Markup:
    """Return an ``<option value="id">username</option>`` for each user; with ``selected``, that user's is selected."""
    return _user_options(tuple((u["id"], u["username"]) for u in users), selected)


@functools.lru_cache(maxsize=64)
def _options(values: tuple, selected) -> Markup:
    return Markup("".join(f'<option {"selected" if value == selected else ""}>{escape(value)}</option>'
                          for value in values))


@functools.lru_cache(maxsize=64)
def _user_options(users: tuple, selected) -> Markup:
    if selected is _UNSET:
        return Markup("".join(f'<option value="{escape(id_)}">{escape(name)}</option>' for id_, name in users))
    return Markup("".join(f'<option value="{escape(id_)}" {"selected" if id_ == selected else ""}>{escape(name)}'
                          "</option>" for id_, name in users))


def init_app(app) -> None:
    """Offer the builders to every template."""
    app.add_template_global(option_list)
    app.add_template_global(user_option_list)
