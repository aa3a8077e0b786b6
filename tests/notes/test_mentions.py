"""Finding `@username` mentions in a note's plain text: no database, every boundary."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualityhub.notes.mentions import candidates, mentioned, split

PEOPLE = ["ana", "bob.smith", "ana@example.com", "Émile"]


def test_a_mention_is_an_at_sign_and_a_username() -> None:
    assert mentioned("Please check, @ana", PEOPLE) == ["ana"]


def test_case_does_not_matter_and_the_username_is_spelled_as_stored() -> None:
    assert mentioned("@ANA and @émile", PEOPLE) == ["ana", "Émile"]


def test_each_person_once_in_the_order_first_mentioned() -> None:
    assert mentioned("@bob.smith @ana @bob.smith @ana", PEOPLE) == ["bob.smith", "ana"]


def test_punctuation_after_a_name_is_not_part_of_it() -> None:
    assert mentioned("Thanks @ana. Ask @bob.smith, then @ana!", PEOPLE) == ["ana", "bob.smith"]


def test_a_username_with_an_at_sign_is_read_whole() -> None:
    assert mentioned("cc @ana@example.com", PEOPLE) == ["ana@example.com"]


def test_an_address_mentions_nobody() -> None:
    assert mentioned("write to ana@example.com or bob.smith@ana", PEOPLE) == []


def test_a_link_with_an_at_sign_mentions_nobody() -> None:
    assert mentioned("see https://example.com/@ana and www.example.com/@ana", PEOPLE) == []


def test_an_unknown_name_is_plain_text() -> None:
    assert mentioned("meet @10am with @nobody", PEOPLE) == []


def test_candidates_are_what_to_look_up() -> None:
    assert candidates("@Ana, @bob.smith. @x@y") == ["ana", "bob.smith.", "bob.smith", "x@y"]


def test_the_parts_join_back_into_the_text_and_mark_the_mentions() -> None:
    text = "Hi @Ana: see https://example.com/@ana, @bob.smith."
    parts = split(text, PEOPLE)
    assert "".join(part.text for part in parts) == text
    assert [(part.text, part.username) for part in parts if part.is_mention] == [
        ("@Ana", "ana"),
        ("@bob.smith", "bob.smith"),
    ]


usernames = st.lists(st.from_regex(r"[\w.@+-]{1,20}", fullmatch=True), max_size=6)


@settings(max_examples=300)
@given(text=st.text(max_size=300), names=usernames)
def test_any_text_never_errors_and_finds_only_real_usernames(text: str, names: list[str]) -> None:
    found = mentioned(text, names)
    assert all(name == name.lower() for name in candidates(text))
    assert set(found) <= set(names)
    assert len(found) == len(set(found))
    assert "".join(part.text for part in split(text, names)) == text


@settings(max_examples=200)
@given(
    before=st.text(max_size=40).filter(lambda t: not t or t[-1] in " \n"),
    after=st.sampled_from(["", " ", ", ", ". ", "!", "\n", ")"]),
    name=st.sampled_from(PEOPLE),
)
def test_a_real_username_after_a_space_is_always_found(before: str, after: str, name: str) -> None:
    assert name in mentioned(f"{before}@{name}{after}", PEOPLE)


@settings(max_examples=300)
@given(text=st.text(max_size=4200))
def test_any_text_is_cleaned_or_refused_with_a_reason(text: str) -> None:
    from qualityhub.notes.services import NoteRefused, clean_text

    try:
        cleaned = clean_text(text)
    except NoteRefused as refused:
        assert str(refused)
        return
    assert 0 < len(cleaned) <= 4000
    assert "\x00" not in cleaned and "\r" not in cleaned
    assert cleaned == cleaned.strip()
