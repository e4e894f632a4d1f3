"""Learning records: learning events translated into xAPI statements, in the same transaction."""
