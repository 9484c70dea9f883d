resource "aws_sfn_state_machine" "broken" {
  definition = jsonencode({ StartAt = })
}
