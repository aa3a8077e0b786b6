"""The sync reads Coupa's next page while it writes the current one."""

import time

import pytest

from qualityhub.sync.read_ahead import ReadAhead


def test_items_arrive_in_order_and_all_of_them():
    with ReadAhead(iter(range(100))) as pages:
        assert list(pages) == list(range(100))


def test_the_next_item_is_fetched_while_the_caller_works_on_this_one():
    fetched: list[int] = []

    def slow_pages():
        for number in range(3):
            time.sleep(0.1)  # Coupa producing the page
            fetched.append(number)
            yield number

    started = time.monotonic()
    with ReadAhead(slow_pages()) as pages:
        for _ in pages:
            time.sleep(0.1)  # writing the page
    # In turn: 3 × (0.1 + 0.1) = 0.6 s. Overlapped: about 0.1 + 3 × 0.1 = 0.4 s.
    assert time.monotonic() - started < 0.55
    assert fetched == [0, 1, 2]


def test_an_error_of_the_source_reaches_the_caller_after_the_items_before_it():
    def failing():
        yield 1
        yield 2
        raise ConnectionError("Coupa went away")

    seen = []
    with pytest.raises(ConnectionError, match="went away"), ReadAhead(failing()) as pages:
        for item in pages:
            seen.append(item)
    assert seen == [1, 2]


def test_leaving_early_stops_reading_after_at_most_one_page_ahead():
    produced: list[int] = []

    def endless():
        number = 0
        while True:
            produced.append(number)
            yield number
            number += 1

    with ReadAhead(endless()) as pages:
        for item in pages:
            if item == 2:
                break
    time.sleep(0.5)
    settled = len(produced)
    time.sleep(0.5)
    # 0, 1, 2 were used; one waits in the queue and one more was in the thread's hands.
    assert settled <= 5
    assert len(produced) == settled
