import { awardLabel, type CertificateRow } from './service.ts';

/** A certificate as lists show it (the organizer's page, the recipient's account). */
export function summary(row: CertificateRow) {
  return {
    id: row.id,
    registryNumber: row.registry_number,
    award: row.award,
    awardLabel: awardLabel(row.award),
    recipientName: row.recipient_name,
    eventTitle: row.event_title,
    issuedOn: row.issued_on,
    revoked: row.revoked_at !== null,
    revokeReason: row.revoke_reason,
    replacedBy: row.replaced_by,
  };
}
