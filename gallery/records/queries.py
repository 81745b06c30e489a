"""Statements and row readers shared by the methods of `SqlRecords`."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, func, insert, select

from .model import ChatMessage, Question
from .tables import chat_messages, questions, votes

VOTE_COUNT = (
    select(func.count())
    .where(votes.c.question_id == questions.c.id)
    .correlate(questions)
    .scalar_subquery()
    .label("votes")
)
# A question's columns and its vote count, as `question_from` reads them.
QUESTION_COLUMNS = (*questions.c, VOTE_COUNT)

# The statements of the hot paths, built once: building one costs more than running it.
STATUS_OF = select(questions.c.status).where(questions.c.id == bindparam("question_id"))
COUNT_VOTES = select(func.count()).where(votes.c.question_id == bindparam("question_id"))
ADD_QUESTION = insert(questions).returning(questions.c.id)
ADD_CHAT = insert(chat_messages).returning(chat_messages.c.id)


def question_from(row: Row) -> Question:
    """Build a Question from a row of `QUESTION_COLUMNS`."""
    m = row._mapping
    return Question(
        m["id"],
        m["session"],
        m["text"],
        m["visitor"],
        m["name"],
        m["status"],
        m["votes"],
        m["created_at"],
        m["updated_at"],
    )


def chat_from(row: Row) -> ChatMessage:
    """Build a ChatMessage from a row of `chat_messages`."""
    m = row._mapping
    return ChatMessage(
        m["id"], m["room"], m["visitor"], m["name"], m["text"], m["at"], bool(m["hidden"])
    )
