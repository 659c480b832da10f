package extlink

import "context"

// PlanGroupExhaustive is PlanGroup with the staged search run to the end of
// the graph before choosing: the same result length, without the early stop.
func PlanGroupExhaustive(d Store, me, target UserID, groups ...Group) (Plan, error) {
	return planGroup(context.Background(), d, me, target, true, groups)
}
