-- Several nodes share one outbox: a notice is claimed by one node for a while before it is sent, so that it is sent once.
ALTER TABLE notification_outbox ADD COLUMN claimed_by VARCHAR(64);
ALTER TABLE notification_outbox ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
