"""Privacy a member can see (PIPL): everything the portal holds about a member, to read and to
download; a member's request to close their account, confirmed by their organisation, which
anonymises them; and the erasure of residents' contact details after the retention period."""
