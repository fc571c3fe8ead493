"""Every state change of the domain, as plain functions.

The web forms, the Socket.IO handlers and the command line all call these; none of them writes to
the database itself. Services know nothing of requests or sockets: they return what changed, and
the caller tells the room.
"""
