"""gunicorn settings for one gallery process; the listening address comes from --bind.

    gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8001 gallery.wsgi:application

One worker per process: presence, the live sockets and the page cache live in the process,
and a Socket.IO session must stay with the process that opened it. Run more processes
(several ports, several machines) to use more cores; see docs/deploy.md.
"""

worker_class = "gallery.worker.Worker"
workers = 1
# Each visitor holds a WebSocket: gunicorn's default of 1,000 connections is too few.
worker_connections = 20000
backlog = 2048
# A gevent worker answers the arbiter's heartbeat between requests; slow pages do not block it.
timeout = 30
graceful_timeout = 10
# No access log: the gallery writes no visitor address (nginx's log is the organiser's choice).
accesslog = None
# gunicorn 24+ opens a control socket at one fixed path per user: several gallery processes
# of one user would fight over it, and nothing here uses it.
control_socket_disable = True


def worker_exit(server, worker):
    """Take the worker's visitors out of the presence shared on Redis when it stops cleanly,
    as `gallery serve` does on SIGTERM (without Redis there is nothing to do)."""
    from gallery.serve import stop

    stop(worker.wsgi)
