package eu.ehds.rights.notifications.delivery;

/**
 * The e-mails of notices, in French and English. They name no health detail, no project and no finding's content:
 * only that a message waits behind a sign-in (for the person) or that a data holder has information (for a
 * professional), with a reference.
 */
final class NoticeEmails {

    private NoticeEmails() {
    }

    static Ports.Email toPerson(String to, String findingId, String portalUrl) {
        String link = portalUrl + "/my/notifications";
        String text = """
                Bonjour,

                Un message vous attend sur le portail des droits sur les données de santé.
                Pour le lire, connectez-vous avec votre identité nationale : %s

                Ce courriel ne contient aucune information de santé. Si vous ne souhaitez plus être informé,
                vous pouvez le dire sur le portail, à la page « Mes choix ».

                --

                Hello,

                A message is waiting for you on the health data rights portal.
                To read it, sign in with your national identity: %s

                This e-mail holds no health information. If you no longer wish to be informed, you can say so on
                the portal, on the page "My choices".
                """.formatted(link, link);
        return new Ports.Email(to, "Un message vous attend / A message is waiting for you", text,
                "<" + findingId + ".person@rights-ledger>");
    }

    static Ports.Email toProfessional(String to, String findingId, String dataHolder) {
        String holder = dataHolder == null ? "" : dataHolder;
        String text = """
                Bonjour,

                Le détenteur de données de santé %s dispose d'une information importante concernant l'un de vos
                patients, issue d'un projet de recherche (référence %s). Contactez-le par vos canaux sécurisés
                habituels. Ce courriel ne contient aucune information de santé.

                --

                Hello,

                The health data holder %s has important information about one of your patients, found by a research
                project (reference %s). Contact them through your usual secure channels. This e-mail holds no health
                information.
                """.formatted(holder, findingId, holder, findingId);
        return new Ports.Email(to, "Information importante pour un patient / Important information about a patient",
                text, "<" + findingId + ".professional@rights-ledger>");
    }
}
