"""The chatter: ``mail.message`` through ``message_post`` and ``mail.activity`` scheduling.

``message_post`` follows ``addons/mail/models/mail_thread.py`` (keyword-only arguments,
``ensure_one``, plain-text bodies escaped, the message id as result through
``@api.returns``); ``activity_schedule(act_type_xmlid='', date_deadline=None, summary='',
note='', **act_values)`` follows ``addons/mail/models/mail_activity_mixin.py`` and answers the
created activities (a recordset, so ids from 18 and ``"mail.activity(5,)"`` before).
"""

from __future__ import annotations

import html as html_lib
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.fields import (
    Method,
    ModelSpec,
    boolean,
    char,
    datetime_,
    html,
    integer,
    many2many,
    many2one,
    select,
    selection,
)
from crossdock.sandbox.odoo.fields import (
    date as date_field,
)
from crossdock.sandbox.odoo.orm import Records
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env


def ensure_one(model: str, ids: list[int]) -> int:
    """``ensure_one``: the ValueError Odoo raises for anything but a single record."""
    if len(ids) != 1:
        inner = "".join(f"{i}," for i in ids)
        raise ValueError(f"Expected singleton: {model}({inner})")
    return ids[0]


def user_partner(env: Env) -> int | bool:
    if env.exists("res.users", env.uid):
        return env.get("res.users", env.uid, "partner_id") or False
    return False


def message_post(
    env: Env,
    model: str,
    ids: list[int],
    *,
    body: str = "",
    subject: str | None = None,
    message_type: str = "notification",
    email_from: str | None = None,
    author_id: int | None = None,
    parent_id: int | bool = False,
    subtype_xmlid: str | None = None,
    subtype_id: int | bool = False,
    partner_ids: list[int] | None = None,
    attachments: list[Any] | None = None,
    attachment_ids: list[int] | None = None,
    body_is_html: bool = False,
    **kwargs: Any,
) -> int:
    rid = ensure_one(model, ids)
    if not env.exists(model, rid):
        raise env.missing(model, [rid])
    if message_type == "user_notification":
        raise ValueError("Use message_notify to send a notification to an user.")
    text = str(body or "")
    markup = text if body_is_html else f"<p>{html_lib.escape(text)}</p>" if text else ""
    subtype = subtype_id or False
    if subtype_xmlid:
        ref = subtype_xmlid if "." in subtype_xmlid else f"mail.{subtype_xmlid}"
        subtype = env.ref(ref)
    elif not subtype:
        subtype = env.ref("mail.mt_note")
    return env.create(
        "mail.message",
        {
            "body": markup,
            "subject": subject or False,
            "model": model,
            "res_id": rid,
            "record_name": env.display_name(model, rid),
            "message_type": message_type,
            "subtype_id": subtype,
            "author_id": author_id or user_partner(env),
            "email_from": email_from or False,
            "parent_id": parent_id or False,
            "partner_ids": [(6, 0, list(partner_ids or []))],
            "date": env.now(),
        },
    )


def activity_schedule(
    env: Env,
    model: str,
    ids: list[int],
    act_type_xmlid: str = "",
    date_deadline: str | None = None,
    summary: str = "",
    note: str = "",
    **act_values: Any,
) -> Records:
    type_id = env.ref(act_type_xmlid or "mail.mail_activity_data_todo")
    deadline = (
        date_deadline
        or (
            date.fromisoformat(env.today())
            + timedelta(days=env.get("mail.activity.type", type_id, "delay_count"))
        ).isoformat()
    )
    created = []
    for rid in ids:
        if not env.exists(model, rid):
            raise env.missing(model, [rid])
        created.append(
            env.create(
                "mail.activity",
                {
                    "res_model": model,
                    "res_id": rid,
                    "res_name": env.display_name(model, rid),
                    "activity_type_id": type_id,
                    "summary": summary
                    or env.get("mail.activity.type", type_id, "summary")
                    or False,
                    "note": note or False,
                    "date_deadline": deadline,
                    "user_id": act_values.get("user_id") or env.uid,
                },
            )
        )
    return Records("mail.activity", tuple(created))


def _activity_state(env: Env, rid: int) -> str:
    deadline = env.raw("mail.activity", rid).get("date_deadline")
    today = env.today()
    if not deadline or deadline > today:
        return "planned"
    return "today" if deadline == today else "overdue"


def action_feedback(
    env: Env, model: str, ids: list[int], feedback: str | bool = False, attachment_ids: Any = None
) -> bool:
    """Mark activities as done: a note on the record, then the activity goes away."""
    for rid in ids:
        rec = env.raw(model, rid)
        type_name = env.display_name("mail.activity.type", rec["activity_type_id"])
        body = f"{type_name} done" + (f": {feedback}" if feedback else "")
        if env.exists(rec["res_model"], rec["res_id"]):
            message_post(
                env, rec["res_model"], [rec["res_id"]], body=body, message_type="notification"
            )
    env.unlink(model, ids)
    return True


def mail_thread_methods(version: OdooVersion) -> dict[str, Method]:
    """What ``mail.thread`` and ``mail.activity.mixin`` add to a model."""
    return {
        "message_post": Method(message_post),
        "activity_schedule": Method(activity_schedule),
    }


MESSAGE_TYPES = selection(
    ("email", "Incoming Email"),
    ("comment", "Comment"),
    ("email_outgoing", "Outgoing Email"),
    ("notification", "System notification"),
    ("auto_comment", "Automated Targeted Notification"),
    ("user_notification", "User Specific Notification"),
)


def models(version: OdooVersion) -> list[ModelSpec]:
    return [
        ModelSpec(
            "mail.message.subtype",
            "Message subtypes",
            {
                "name": char("Message Type", required=True),
                "internal": boolean("Internal Only", default=False),
            },
            order="id",
        ),
        ModelSpec(
            "mail.message",
            "Message",
            {
                "subject": char("Subject"),
                "body": html("Contents", default=""),
                "model": char("Related Document Model"),
                "res_id": integer("Related Document ID"),
                "record_name": char("Message Record Name"),
                "message_type": select("Type", MESSAGE_TYPES, required=True, default="comment"),
                "subtype_id": many2one("mail.message.subtype", "Subtype"),
                "author_id": many2one("res.partner", "Author"),
                "email_from": char("From"),
                "parent_id": many2one("mail.message", "Parent Message"),
                "partner_ids": many2many("res.partner", "Recipients"),
                "date": datetime_("Date"),
            },
            order="id desc",
            rec_name="record_name",
        ),
        ModelSpec(
            "mail.activity.type",
            "Activity Type",
            {
                "name": char("Name", required=True),
                "summary": char("Default Summary"),
                "delay_count": integer("Schedule", default=0),
                "res_model": char("Model"),
            },
            order="name",
        ),
        ModelSpec(
            "mail.activity",
            "Activity",
            {
                "res_model": char("Related Document Model", required=True),
                "res_id": integer("Related Document ID", required=True),
                "res_name": char("Document Name"),
                "activity_type_id": many2one("mail.activity.type", "Activity Type"),
                "summary": char("Summary"),
                "note": html("Note"),
                "date_deadline": date_field("Due Date", required=True),
                "user_id": many2one("res.users", "Assigned to"),
                "state": select(
                    "State",
                    selection(("overdue", "Overdue"), ("today", "Today"), ("planned", "Planned")),
                    compute=_activity_state,
                ),
            },
            order="date_deadline ASC, id ASC",
            rec_name="summary",
            methods={"action_feedback": Method(action_feedback)},
        ),
    ]
