"""Letters and notices (信/通知): the city, an organisation or a community writes once and sends
to a chosen group of members, by inbox, email and text message (docs/letters.md)."""
