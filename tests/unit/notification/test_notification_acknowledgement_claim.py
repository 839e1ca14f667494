"""Issue 13 point 8: the acknowledgement (not its event's last step) claims its mail in the notice's
own write, is mailed at once and announced after; a failed send frees the claim for the retry."""

import pytest
from notification_support import CONTACT, deliver, routed


def test_a_failed_acknowledgement_mail_is_retried_and_then_sent_once_and_announced_once(ports):
    ports.mailer.fail_next = True
    event = routed()
    with pytest.raises(ConnectionError):
        deliver(ports, event)
    assert ports.publisher.names().count("NoticeIssued") == 0  # announced after its mail
    assert deliver(ports, event) == "handled"
    assert len(ports.mailer.to(CONTACT)) == 1
    assert ports.publisher.names().count("NoticeIssued") == 1
    assert len(ports.store.notices) == 1


def test_a_copy_of_the_routing_mails_and_lists_the_acknowledgement_once(ports):
    event = routed()
    deliver(ports, event)
    from notification import bootstrap

    bootstrap.processed_events().ids.clear()  # type: ignore[attr-defined]  # the kernel's marker lost
    deliver(ports, event)
    assert len(ports.mailer.to(CONTACT)) == 1 and len(ports.store.notices) == 1
