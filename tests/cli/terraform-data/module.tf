module "step_function" {
  source  = "terraform-aws-modules/step-functions/aws"
  version = "~> 4.0"

  name = "module-flow"
  type = "express"

  definition = jsonencode({
    StartAt = "Pass"
    States = {
      Pass = { Type = "Pass", Next = "Missing" }
      Wait = {
        Type     = "Task"
        Resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
        Parameters = {
          QueueUrl    = var.queue_url
          MessageBody = { "token.$" = "$$.Task.Token" }
        }
        HeartbeatSeconds = 60
        End              = true
      }
    }
  })
}
