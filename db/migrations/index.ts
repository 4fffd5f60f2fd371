import type { Migration, MigrationProvider } from 'kysely';
import * as createCoreTables from './2026_11_24_0900_create_core_tables';
import * as teamCalendarAndWindows from './2026_11_24_1000_team_calendar_and_windows';
import * as createNags from './2026_11_24_1100_create_nags';
import * as complaintsAndDigests from './2026_11_24_1300_complaints_and_digests';
import * as platformsAndConversations from './2026_11_25_0900_platforms_and_conversations';
import * as teamAutoreplies from './2026_11_25_1000_team_autoreplies';
import * as nagClaimOwner from './2026_11_26_0900_nag_claim_owner';
import * as platformLeases from './2026_11_26_1000_platform_leases';
import * as recipientSends from './2026_11_26_1010_recipient_sends';
import * as frontDesk from './2026_11_26_1100_front_desk';
import * as waitingVisitors from './2026_11_27_0900_waiting_visitors';
import * as botChats from './2026_12_01_0900_bot_chats';
import * as chatCards from './2026_12_11_0900_chat_cards';
import * as waitingIndex from './2026_12_12_0900_waiting_index';
import * as intake from './2026_12_07_0900_intake';
import * as teamCharts from './2026_12_10_0900_team_charts';

/** Every migration by its date-prefixed name; listed here so no file globbing is needed at run time. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026_11_24_0900_create_core_tables': createCoreTables,
  '2026_11_24_1000_team_calendar_and_windows': teamCalendarAndWindows,
  '2026_11_24_1100_create_nags': createNags,
  '2026_11_24_1300_complaints_and_digests': complaintsAndDigests,
  '2026_11_25_0900_platforms_and_conversations': platformsAndConversations,
  '2026_11_25_1000_team_autoreplies': teamAutoreplies,
  '2026_11_26_0900_nag_claim_owner': nagClaimOwner,
  '2026_11_26_1000_platform_leases': platformLeases,
  '2026_11_26_1010_recipient_sends': recipientSends,
  '2026_11_26_1100_front_desk': frontDesk,
  '2026_11_27_0900_waiting_visitors': waitingVisitors,
  '2026_12_01_0900_bot_chats': botChats,
  '2026_12_07_0900_intake': intake,
  '2026_12_10_0900_team_charts': teamCharts,
  '2026_12_11_0900_chat_cards': chatCards,
  '2026_12_12_0900_waiting_index': waitingIndex,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
