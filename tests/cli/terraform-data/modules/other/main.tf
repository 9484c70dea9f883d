# No state machine here: a walk skips it.
resource "aws_sqs_queue" "q" {
  name = "q"
}
