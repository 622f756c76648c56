module github.com/lambda-durable/durable

go 1.26.8
