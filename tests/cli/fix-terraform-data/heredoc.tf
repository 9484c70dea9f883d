resource "aws_sfn_state_machine" "heredoc" {
  name       = "heredoc"
  role_arn   = var.role_arn
  definition = <<-EOF
    {
      "StartAt": "Wait",
      "States": {
        "Wait": {"Type": "Wait", "Seconds": ${var.wait_seconds}, "Next": "Dnoe"},
        "Done": {"Type": "Succeed"}
      }
    }
    EOF
}
