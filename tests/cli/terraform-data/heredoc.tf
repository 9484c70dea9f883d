resource "aws_sfn_state_machine" "heredoc" {
  name       = "heredoc"
  role_arn   = var.role_arn
  definition = <<-EOF
    {
      "StartAt": "Wait",
      "States": {
        "Wait": {"Type": "Wait", "Seconds": ${var.wait_seconds}, "Next": "Done"},
        "Done": {"Type": "Succeed", "Next": "Wait"}
      }
    }
    EOF
}

resource "aws_sfn_state_machine" "from_file" {
  name       = "from-file"
  role_arn   = var.role_arn
  definition = file("${path.module}/sm/flow.asl.json")
}

resource "aws_sfn_state_machine" "from_template" {
  name       = "from-template"
  role_arn   = var.role_arn
  definition = templatefile("sm/templated.asl.json", { queue_url = aws_sqs_queue.q.url, max = 5 })
}

resource "aws_sfn_state_machine" "elsewhere" {
  name       = "elsewhere"
  role_arn   = var.role_arn
  definition = data.template_file.definition.rendered
}

# A local value in this file is read where it is written.
locals {
  shared = jsonencode({
    StartAt = "Only"
    States  = { Only = { Type = "Pass", End = true, Nope = 1 } }
  })
}

resource "aws_sfn_state_machine" "from_local" {
  name       = "from-local"
  role_arn   = var.role_arn
  definition = local.shared
}
