package handlers

import "github.com/lambda-durable/durable"

type tenantPayload struct {
	TenantID string `json:"tenantId"`
	Payload  string `json:"payload"`
}

// invoke5_8: invoke the echo function for a tenant.
func invoke5_8(ctx durable.Context, in tenantPayload) (string, error) {
	return durable.Invoke[string](ctx, "", echoFunction, in.Payload, durable.WithTenantID(in.TenantID))
}
