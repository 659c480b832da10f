package extlink

import (
	"context"
	"iter"
)

// PlanGroupExhaustive is PlanGroup with the staged search run to the end of
// the graph before choosing: the same result length, without the early stop.
func PlanGroupExhaustive(d Store, me, target UserID, groups ...Group) (Plan, error) {
	return planGroup(context.Background(), d, me, target, true, groups)
}

// AuditUnits is Audit that counts in *units the units of work its range
// does: each link or member a search looks at.
func AuditUnits(d Store, t TenantID, maxSteps int, units *int, groups ...Group) (iter.Seq[Exposure], error) {
	return auditUnits(context.Background(), d, t, maxSteps, groups, units)
}
