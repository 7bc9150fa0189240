4
$U ´t©š'â<ù¤„ìmïXµk¾bé)'ƒFnÃcµ-
fishmonger