"""SES's reports on notice mails reach the notification service (issue 16, Delivery): the configuration
set's SNS destination, an encrypted topic only SES of this account may publish to, a queue with its DLQ,
and a consumer with no more rights than its table and the mail."""

from __future__ import annotations

from test_template_operations import actions, functions, refs, resources, statements, template


def test_the_configuration_set_publishes_deliveries_bounces_complaints_and_rejects_to_the_mail_event_topic():
    destinations = [d["Properties"] for d in resources("AWS::SES::ConfigurationSetEventDestination").values()
                    if "SnsDestination" in d["Properties"]["EventDestination"]]
    [destination] = destinations
    assert refs(destination["ConfigurationSetName"]) == {"MailConfigurationSet"}
    event = destination["EventDestination"]
    assert set(event["MatchingEventTypes"]) == {"delivery", "bounce", "complaint", "reject"} and event["Enabled"]
    assert refs(event["SnsDestination"]["TopicARN"]) == {"MailEventTopic"}


def test_the_mail_event_topic_is_encrypted_with_a_key_ses_may_use_and_only_ses_of_this_account_publishes():
    topic = resources("AWS::SNS::Topic")["MailEventTopic"]["Properties"]
    assert refs(topic["KmsMasterKeyId"]) == {"MailEventKey"}  # not alias/aws/sns: SES could not use it
    key = resources("AWS::KMS::Key")["MailEventKey"]["Properties"]["KeyPolicy"]["Statement"]
    assert any(s["Principal"] == {"Service": "ses.amazonaws.com"} and "kms:GenerateDataKey*" in s["Action"]
               for s in key)
    [policy] = [p["Properties"] for p in resources("AWS::SNS::TopicPolicy").values()
                if refs(p["Properties"]["Topics"]) == {"MailEventTopic"}]
    [statement] = policy["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"} and statement["Action"] == "sns:Publish"
    assert refs(statement["Condition"]["StringEquals"]["aws:SourceAccount"]) == {"AWS::AccountId"}


def test_the_mail_events_reach_their_consumer_through_a_queue_with_a_dead_letter_queue():
    [subscription] = [s["Properties"] for s in resources("AWS::SNS::Subscription").values()
                      if refs(s["Properties"]["TopicArn"]) == {"MailEventTopic"}]
    # SES publishes JSON that SNS wraps: the consumer reads the envelope's Message.
    assert subscription["Protocol"] == "sqs" and subscription["RawMessageDelivery"] is False
    assert refs(subscription["Endpoint"]) == {"MailEventQueue"}
    queue = resources("AWS::SQS::Queue")["MailEventQueue"]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert refs(queue["RedrivePolicy"]["deadLetterTargetArn"]) == {"MailEventDeadLetterQueue"}
    timeout = template()["Globals"]["Function"]["Timeout"]
    assert queue["VisibilityTimeout"] == 6 * timeout
    consumer = functions()["NotificationMailEventsFunction"]["Properties"]
    assert consumer["Handler"] == "notification.handlers.mail_events.handler"
    [source] = consumer["Events"].values()
    assert refs(source["Properties"]["Queue"]) == {"MailEventQueue"}
    assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_the_mail_event_consumer_may_touch_only_its_table_send_only_from_the_sender_and_publish_on_the_bus():
    granted = [s for s in statements("NotificationMailEventsFunction") if s.get("Effect") == "Allow"]
    resources_ = {r for s in granted for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])}
    assert {r.split(":")[2] for r in resources_} == {"dynamodb", "ses", "sns"}
    assert {r for r in resources_ if ":dynamodb:" in r} == {
        "arn:aws:dynamodb:eu-west-1:123456789012:table/NotificationTable"}  # no index, no other table
    allowed = {a for s in granted for a in actions(s)}
    assert not any(a.startswith(("s3:", "scheduler:", "iam:")) for a in allowed)
    # NoticeDeliveryFailed on the bus, and nothing else of SNS (not SES's own report topic).
    assert {a for a in allowed if a.startswith("sns:")} == {"sns:Publish"}
    assert {r for r in resources_ if ":sns:" in r} == {"arn:aws:sns:eu-west-1:123456789012:EventTopic"}
    [send] = [s for s in granted if "ses:SendRawEmail" in actions(s)]
    assert send["Condition"]["StringEquals"]["ses:FromAddress"] == "noreply@duaal-leren.example.be"


def test_notices_print_the_portal_s_absolute_address():
    env = functions()["NotificationEventsFunction"]["Properties"]["Environment"]["Variables"]
    # the portal's own origin when it has one, else the HTTP API that serves it at /
    assert env["PORTAL_URL"]["Fn::If"][0] == "HasPortalOrigin"
    assert refs(env["PORTAL_URL"]) == {"PortalOrigin", "HttpApi", "AWS::Region", "AWS::URLSuffix"}
