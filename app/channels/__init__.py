"""Channels to and from citizens: the SMS and LINE senders, who is told of a case, and (later) LINE, Open311
and Traffy intake. Delivery itself runs in the outbox handlers of :mod:`app.outbox.notify`."""
