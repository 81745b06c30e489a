"""The guided tour on two servers sharing Redis (`Tour` with a `TourRecord`): the server
where the guide's next page stands leads it on, one server at a time, and a tour ends once,
when no server found its guide within the grace."""

from __future__ import annotations

from gallery.presence import Connection, Connections
from gallery.presence.limits import TokenBucket
from gallery.presence.redisclient import connect
from gallery.qa.coalesce import Tour
from gallery.qa.sharedtour import TourRecord

from .test_qa_coalesce import Recorder


class Server:
    """One server's connections, tour and what it sent, on the Redis at `url`."""

    def __init__(self, url: str, name: str, moment: list[float]) -> None:
        self.connections = Connections()
        record = TourRecord(connect(url), name)
        self.tour = Tour(self.connections.find_host, grace=10, now=lambda: moment[0], record=record)
        self.sender = Recorder()

    def host_page(self, sid: str, room: str) -> Connection:
        """Open a page of host "marie" standing in `room`."""
        page = Connection(sid, TokenBucket(10, 20), "a-" + sid)
        page.host = "marie"
        self.connections.add(sid, page)
        self.connections.place(page, room)
        return page

    def tick(self) -> list:
        """Drain the tour; return what it sent to everyone, then forget it."""
        self.tour.drain(self.sender)
        sent, self.sender.sent = self.sender.sent, []
        return [data for _room, _event, data in sent]


def test_the_guide_walks_onto_the_other_server_which_leads_the_tour_on(redis_url: str) -> None:
    moment = [0.0]
    one, two = Server(redis_url, "one", moment), Server(redis_url, "two", moment)
    event = one.tour.start(one.host_page("p1", "hall"))
    two.tour.learn(event)  # as the message queue hands it over
    two.host_page("elsewhere", "stage")  # a second page of the host, before the guide left
    assert two.tick() == []  # the first server still leads: the other does not take over
    one.connections.remove("p1")
    assert one.tick() == []
    two.connections.remove("elsewhere")
    two.host_page("p2", "lab")
    taken = two.tick()
    assert taken == [{"touring": True, "room": "lab"}]
    one.tour.learn(taken[0])
    moment[0] = 20.0  # long after the grace: the first server says nothing
    assert one.tick() == []
    assert two.tick() == []


def test_a_guide_lost_everywhere_ends_the_tour_once(redis_url: str) -> None:
    moment = [0.0]
    one, two = Server(redis_url, "one", moment), Server(redis_url, "two", moment)
    two.tour.learn(one.tour.start(one.host_page("p1", "hall")))
    one.connections.remove("p1")
    assert one.tick() == []
    moment[0] = 10.0
    assert one.tick() == [{"touring": False, "room": None}]
    two.tour.learn({"touring": False, "room": None})
    two.host_page("p2", "lab")  # too late: the tour is over
    assert two.tick() == []


def test_stopped_on_the_other_server_the_tour_says_nothing_more(redis_url: str) -> None:
    moment = [0.0]
    one, two = Server(redis_url, "one", moment), Server(redis_url, "two", moment)
    page = one.host_page("p1", "hall")
    two.tour.learn(one.tour.start(page))
    one.tour.learn(two.tour.stop())
    one.connections.place(page, "lab")
    assert one.tick() == []
