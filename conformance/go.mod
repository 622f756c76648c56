module github.com/lambda-durable/durable/conformance

go 1.26.8

require (
	github.com/lambda-durable/durable v0.0.0
	gopkg.in/yaml.v3 v3.0.1
)

replace github.com/lambda-durable/durable => ../
