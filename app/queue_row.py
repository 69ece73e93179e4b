"""One queue row's HTML, built in Python: a queue page shows 50 of them.

Rendered through a template, the rows took two thirds of a queue page's CPU (about 100 microseconds
each: some 60 lookups, escapes and conditionals, each piece passed up through five nested template
generators); built here they take a tenth of that. ``queue/_rows.html`` keeps the loop and calls
``queue_row`` for each claim. Every value that comes from the desk is escaped (``_e``); numbers and ids
are formatted, labels and shortcuts come from ``review.workflow``'s own table.
"""

import functools

from markupsafe import Markup, escape

#: What the priority cell says after the score, for each term that counts.
_TERMS = (("freshness", "fresh"), ("repeats", "seen"), ("boost", "boost"))


def _e(value) -> str:
    """Return a value as HTML text: a whole number as it is, anything else escaped."""
    if type(value) is int:  # ids, versions and counts (most of a row's values); never markup
        return str(value)
    return str(escape(value))


@functools.lru_cache(maxsize=64)
def _action_parts(action) -> tuple[str, str, str, bool]:
    """Return an action's name, label and shortcut as HTML text, and whether it asks for a reason (once each)."""
    return _e(action.name), _e(action.label), _e(action.shortcut), action.needs == "reason"


def queue_row(claim: dict, *, claims_url: str, more_url: str, csrf: str, tab: str, more_from) -> Markup:
    """Return the row of one claim of the queue, with the buttons of ``claim["actions"]``.

    :param claims_url: the claim page's URL without the id (``/claims/``).
    :param more_url: the New tab's URL for "more from this article", without the document id.
    :param more_from: the article the queue is limited to, if any (its rows offer no "more from" link).
    """
    cid, version = _e(claim["id"]), _e(claim["version"])
    url = f"{_e(claims_url)}{cid}"
    out = [f'\n\n<tr id="claim-{cid}" class="claim-row" tabindex="-1">\n'
           f'  <td class="select"><input type="checkbox" name="ids" value="{cid}" form="bulk-form"'
           f' aria-label="Select claim {cid}" tabindex="-1"><input type="hidden" name="version-{cid}"'
           f' value="{version}" form="bulk-form"></td>\n'
           f'  \n  <td class="num score"><span class="priority">{"%.1f" % claim["priority"]}</span>\n    ']
    parts = claim["priority_parts"]
    if parts:
        out.append(f'<span class="priority-parts muted">score {"%.1f" % parts["score"]}')
        for term, said in _TERMS:
            if parts[term]:
                out.append(f' + {said} {"%.1f" % parts[term]}')
        out.append("</span>")
    out.append(f'</td>\n  <td class="claim-text"><a href="{url}" class="open-claim" dir="auto">'
               f'{_e(claim["text"])}</a>\n    ')
    if claim.get("prior_match_score"):
        out.append('<div class="prior-mark" title="A prior verdict strongly matches this claim">Checked before: '
                   f'<strong>{_e(claim.get("prior_match_label") or "rated")}</strong> — '
                   f'{_e(claim.get("prior_match_publisher") or "unknown publisher")}</div>')
    out.append("\n    ")
    in_review = claim["status"] == "in_review"
    if claim.get("second_rating") == "disagree" and in_review:
        out.append('<span class="tag second-disagree" title="The blind second rating differs from the first:'
                   ' the editor decides">Raters disagree</span>')
    out.append("\n    ")
    if tab == "second":
        out.append('<span class="tag second-pending" title="You were asked to rate this claim without seeing the'
                   ' first rating">Your blind second rating</span>\n    ')
    elif claim.get("second_rating") == "pending" and in_review:
        out.append('<span class="tag second-pending" title="The editor waits for a blind second rating before'
                   ' deciding">Second rating awaited</span>')
    out.append("\n    ")
    if claim.get("recheck_due"):
        out.append('<span class="tag recheck-due" title="The published verdict\'s re-check day has come">'
                   f'Re-check due {_e(claim["recheck_due"])}</span>')
    out.append("\n    ")
    if claim.get("document_id") and (claim.get("article_new") or 0) > 1 and not more_from:
        out.append(f'<div class="more-from"><a href="{_e(more_url)}{_e(claim["document_id"])}">More from this'
                   f' article</a> <span class="muted">({_e(claim["article_new"])} new')
        if claim.get("article_rank"):
            out.append(f", this is its #{_e(claim['article_rank'])}")
        out.append(")</span></div>")
    out.append("\n    ")
    if claim.get("tags"):
        out.append('<div class="tags">' + "".join(f'<span class="tag">{_e(t)}</span>' for t in claim["tags"])
                   + "</div>")
    out.append('</td>\n  <td class="claimant">')
    if claim.get("claimant"):
        out.append(_e(claim["claimant"]))
        if claim.get("claimant_kind"):
            out.append(f' <span class="muted">· {_e(claim["claimant_kind"])}</span>')
    else:
        out.append('<span class="muted">—</span>')
    out.append(f'</td>\n  <td class="source"><span dir="auto">{_e(claim.get("source") or "manual")}</span><br>'
               '<span class="muted">')
    if claim.get("source_date"):
        out.append(_e(claim["source_date"]))
    elif claim.get("document_id"):
        out.append('<span class="undated">undated</span>')
    kind = _e(claim.get("claim_type"))
    out.append(f'</span></td>\n  <td><span class="tag type-{kind}">{kind}</span></td>\n'
               f'  <td class="num">{_e(claim.get("appearance_count"))}</td>\n'
               f'  <td>{_e(claim.get("assignee") or "")}</td>\n  <td class="row-actions">\n    ')
    csrf = _e(csrf)
    for action in claim["actions"]:
        name, label, key, needs_reason = _action_parts(action)
        target = f"{url}/action/{name}"
        out.append(f'\n    <form method="post" action="{target}" class="inline {name}" hx-post="{target}"'
                   f' hx-target="#claim-{cid}" hx-swap="delete">\n'
                   f'      <input type="hidden" name="csrf_token" value="{csrf}"><input type="hidden"'
                   f' name="version" value="{version}">\n      ')
        if needs_reason:
            out.append('\n      <input type="hidden" name="reason" value="">\n'
                       f'      <button type="button" class="small" data-row-action="{key}" data-dismiss'
                       f' title="{label} ({key})">{label}</button>\n      ')
        else:
            out.append(f'\n      <button type="submit" class="small" data-row-action="{key}"'
                       f' title="{label} ({key})">{label}</button>\n      ')
        out.append("\n    </form>\n    ")
    out.append("\n  </td>\n</tr>")
    return Markup("".join(out))
