"""A corpus of realistic situations for the « Boussole du partage » (issue 20).

Each situation is written from the law (``../shared/legal-facts.md``), not from the guide: a
professional, what happened, and how that professional would honestly answer each question the
guide may ask (``answers``: node id → option key). The walker (``walk_situation``) starts at the
first question and, at each screen, takes the answer the situation gives for it; a screen the
situation does not answer is a failure, so a guide that asks something unexpected shows up.

``verdict`` is the verdict a lawyer expects; ``deciding`` the texts that must be among the
texts that decide it on the fiche; ``also`` other texts that must appear on the fiche (deciding
or general). Texts are matched as substrings of the fiche's bases. ``points`` names the points of
issue 20 the situation covers (1 to 9).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from boussole import graph


@dataclass(frozen=True)
class Situation:
    id: str
    description: str
    answers: dict[str, str]
    verdict: str
    deciding: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    points: frozenset[int] = field(default_factory=frozenset)


def situation(id, description, answers, verdict, deciding=(), also=(), points=()):
    return Situation(
        id, " ".join(description.split()), answers, verdict, tuple(deciding), tuple(also),
        frozenset(points),
    )  # fmt: skip


class UnansweredQuestion(AssertionError):
    """The guide asks a question the situation does not answer."""


def walk_situation(guide_graph: dict, case: Situation) -> graph.Walk:
    """Answer the guide from the situation, screen after screen, until a verdict."""
    pairs: list[tuple[str, str]] = []
    current = guide_graph["start"]
    while current in guide_graph["nodes"]:
        if current not in case.answers:
            raise UnansweredQuestion(
                f"{case.id}: the guide asks '{current}', which the situation does not answer "
                f"(path so far: {graph.path_encode(pairs)})"
            )
        pairs.append((current, case.answers[current]))
        result = graph.walk(guide_graph, pairs)  # PathError if the answer is not offered
        current = result.verdict["id"] if result.finished else result.node["id"]
    return graph.walk(guide_graph, pairs)


# Answers shared by many situations: no péril that calls for action now.
NO_PERIL = {"peril": "non"}
SERIOUS = {"peril": "grave"}  # a serious danger, but no action is needed this very moment

SITUATIONS = [
    # ------------------------------------------------------------------ péril (F5.07)
    situation(
        "foyer-couteau",
        """Un soir, dans un foyer de l'enfance, Malik, éducateur, entend un adolescent dire qu'il
        va « planter » un autre résident et le voit se diriger vers sa chambre, un couteau à la
        main. Il peut au moins appeler du renfort et la police sans se mettre en danger.""",
        {"peril": "oui"},
        "obligation-agir",
        deciding=["223-6"],
        points=[1],
    ),
    situation(
        "ssiad-malaise",
        """Une aide-soignante d'un service de soins infirmiers à domicile trouve M. B., 88 ans,
        inconscient au pied de son lit, respirant mal. Personne d'autre n'est là.""",
        {"peril": "oui"},
        "obligation-agir",
        deciding=["223-6"],
        points=[1],
    ),
    situation(
        "permanence-menace-arme",
        """Pendant une permanence, une femme dit à Mme T., assistante de service social, que son
        mari l'attend en bas de l'immeuble avec un fusil et qu'il a juré de la tuer « aujourd'hui
        même ». Mme T. hésite : est-ce un péril au sens de la loi ? Le danger est grave, il est
        immédiat et rien ne permet d'en douter.""",
        {"peril": "nsp", "peril-nsp": "reunis"},
        "obligation-agir",
        deciding=["223-6"],
        points=[1, 8],
    ),
    situation(
        "foyer-week-end",
        """Une adolescente accueillie en foyer au titre de l'aide sociale à l'enfance confie à
        son éducatrice, un mardi, que son beau-père la frappe quand elle rentre le week-end.
        L'éducatrice se demande si c'est un péril : le danger est grave, mais elle ne rentrera
        pas avant samedi ; rien n'appelle une intervention dans l'instant. L'éducatrice participe
        aux missions de l'ASE.""",
        {
            "peril": "nsp",
            "peril-nsp": "manque",
            "secret-emetteur": "mission",
            "situation": "enfant",
            "enfant-concours": "oui",
            "enfant-but": "ip",
        },
        "information-preoccupante",
        deciding=["L. 226-2-1"],
        also=["L. 221-6"],
        points=[1, 8],
    ),
    # ------------------------------------------------------------------ enfant, secret (F3.11-F3.20, F5.02)
    situation(
        "medecin-ecchymoses",
        """Le Dr M., médecin généraliste libéral, examine Inès, 4 ans, amenée pour une toux. Il
        voit des ecchymoses d'âges différents sur le dos et les bras, que le père explique par des
        chutes. Le danger est sérieux mais Inès ne court pas de péril pendant la consultation. Le
        Dr M. ne participe pas au dispositif départemental de protection de l'enfance.""",
        {
            **SERIOUS,
            "secret-emetteur": "medecin",
            "situation": "enfant",
            "enfant-concours": "non",
            "enfant-sevices": "oui",
        },
        "signalement-sans-accord",
        deciding=["226-14, 1°", "226-14, 2°"],
        also=["R. 4127-4", "dernier alinéa"],
        points=[1, 9],
    ),
    situation(
        "orthophoniste-inquietude",
        """Mme O., orthophoniste libérale, suit Léo, 7 ans. Depuis la séparation de ses parents,
        il paraît triste et parle peu. Elle n'a constaté ni privation ni sévices, et personne ne
        lui en a rapporté. Elle ne participe pas au dispositif de protection de l'enfance.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "enfant",
            "enfant-concours": "non",
            "enfant-sevices": "non",
        },
        "enfant-inquietudes",
        deciding=["226-13", "L. 1110-4, I ("],
        points=[4],
    ),
    situation(
        "ass-departement-ip",
        """Mme B., assistante de service social du service social départemental, qui concourt à
        la protection de l'enfance, reçoit Mme K. : elle dit ne plus arriver à s'occuper de ses
        enfants de 3 et 6 ans ; l'aîné ne va plus à l'école et le logement est très dégradé.
        Aucun danger ne menace les enfants dans l'instant, mais la situation est sérieuse.""",
        {
            **SERIOUS,
            "secret-emetteur": "ass",
            "situation": "enfant",
            "enfant-concours": "oui",
            "enfant-but": "ip",
        },
        "information-preoccupante",
        deciding=["L. 226-2-1"],
        also=["L. 411-3", "D. 226-2-4"],
        points=[1, 9],
    ),
    situation(
        "ase-transmettre-ou-partager",
        """Un éducateur de l'aide sociale à l'enfance apprend qu'un enfant qu'il ne suit pas
        encore passe ses nuits seul. Il hésite : faut-il « transmettre » ou « partager » ? Ce
        qu'il sait fait craindre un danger, qu'il veut faire connaître.""",
        {
            **SERIOUS,
            "secret-emetteur": "mission",
            "situation": "enfant",
            "enfant-concours": "oui",
            "enfant-but": "nsp",
            "enfant-but-nsp": "ip",
        },
        "information-preoccupante",
        deciding=["L. 226-2-1"],
        points=[8, 9],
    ),
    situation(
        "synthese-ase",
        """Après une information préoccupante, l'éducateur de l'ASE chargé de l'évaluation et
        l'assistante de service social qui suit la famille se réunissent pour évaluer la
        situation de Lina, 8 ans, et proposer une aide éducative. Elle veut dire en quoi la
        dépression de la mère pèse sur l'éducation de Lina, sans détail médical. Les parents ont
        été informés de la réunion.""",
        {
            **NO_PERIL,
            "secret-emetteur": "ass",
            "situation": "enfant",
            "enfant-concours": "oui",
            "enfant-but": "partage",
            "enfant-destinataire": "oui",
            "enfant-necessaire": "oui",
        },
        "protection-enfance-partage",
        deciding=["L. 226-2-2"],
        also=["L. 411-3"],
    ),
    situation(
        "ase-club-de-foot",
        """La référente ASE de Lucas, 9 ans, veut inviter à la réunion de synthèse le président
        du club de football de l'enfant, qu'aucun texte ne soumet au secret, et y parler de la
        situation familiale.""",
        {
            **NO_PERIL,
            "secret-emetteur": "mission",
            "situation": "enfant",
            "enfant-concours": "oui",
            "enfant-but": "partage",
            "enfant-destinataire": "non",
        },
        "enfance-pas-de-partage",
        deciding=["L. 226-2-2", "L. 221-6"],
        points=[4],
    ),
    situation(
        "psychologue-antecedents-mere",
        """La psychologue d'un centre médico-psychologique hospitalier, qui apporte son concours
        à l'évaluation de la situation d'un enfant, voudrait exposer en synthèse tous les
        antécédents psychiatriques de la mère, alors que seule leur incidence actuelle sur la
        prise en charge de l'enfant est utile.""",
        {
            **NO_PERIL,
            "secret-emetteur": "etablissement",
            "situation": "enfant",
            "enfant-concours": "oui",
            "enfant-but": "partage",
            "enfant-destinataire": "oui",
            "enfant-necessaire": "non",
        },
        "enfance-pas-de-partage",
        deciding=["L. 226-2-2", "L. 1110-4, I ("],
        points=[4],
    ),
    situation(
        "creche-concours-inconnu",
        """Une infirmière de crèche municipale constate des brûlures de cigarette sur le bras
        d'un enfant de 2 ans. Elle ne sait pas si la crèche participe au dispositif
        départemental de protection de l'enfance et ne peut pas le vérifier tout de suite.""",
        {
            **SERIOUS,
            "secret-emetteur": "sante",
            "situation": "enfant",
            "enfant-concours": "nsp",
            "enfant-concours-nsp": "inconnu",
            "enfant-sevices": "oui",
        },
        "signalement-sans-accord",
        deciding=["226-14, 1°"],
        also=["L. 1110-4, I ("],
        points=[1, 8, 9],
    ),
    # ------------------------------------------------------------------ hors secret (F5.06, F3.14, F3.23, F2.21)
    situation(
        "animatrice-periscolaire",
        """Mme R., animatrice périscolaire employée par une commune, n'est tenue au secret par
        aucun texte. Le service enfance de la commune participe au dispositif départemental de
        protection de l'enfance et lui a remis la procédure de transmission des informations
        préoccupantes. Un enfant lui dit qu'il reste souvent seul le soir et arrive le matin sans
        avoir mangé.""",
        {
            **SERIOUS,
            "secret-emetteur": "non",
            "hors-secret-enfant": "oui",
            "hors-secret-concours": "oui",
        },
        "information-preoccupante",
        deciding=["L. 226-2-1"],
        points=[5],
    ),
    situation(
        "accueil-loisirs-ne-sait-pas",
        """M. D., animateur d'un accueil de loisirs associatif, n'est tenu au secret par aucun
        texte. Une fillette lui montre des marques de coups. Il ne sait pas si son association
        concourt à la protection de l'enfance ; sa directrice lui confirme qu'elle a signé le
        protocole départemental et qu'il doit transmettre à la cellule.""",
        {
            **SERIOUS,
            "secret-emetteur": "non",
            "hors-secret-enfant": "oui",
            "hors-secret-concours": "nsp",
            "hors-secret-concours-nsp": "oui",
        },
        "information-preoccupante",
        deciding=["L. 226-2-1"],
        points=[5, 8],
    ),
    situation(
        "benevole-club-sport",
        """Un entraîneur bénévole d'un club de sport, tenu au secret par aucun texte et sans
        lien avec la protection de l'enfance, voit des bleus sur un garçon de 10 ans, qui lui
        dit que son père le frappe.""",
        {
            **SERIOUS,
            "secret-emetteur": "non",
            "hors-secret-enfant": "oui",
            "hors-secret-concours": "non",
            "hors-secret-maltraitance": "oui",
        },
        "obligation-informer",
        deciding=["434-3"],
        points=[5],
    ),
    situation(
        "benevole-visites",
        """Paul, bénévole d'une association de visites à domicile, tenu au secret par aucun
        texte, constate depuis des semaines que Mme J., 91 ans, très dépendante, est laissée sans
        repas par son neveu qui garde sa carte bancaire. Elle ne peut ni sortir ni téléphoner
        seule. Sa vie ne paraît pas menacée dans l'immédiat.""",
        {
            **SERIOUS,
            "secret-emetteur": "non",
            "hors-secret-enfant": "non",
            "hors-secret-maltraitance": "oui",
        },
        "obligation-informer",
        deciding=["434-3"],
        points=[1],
    ),
    situation(
        "agente-accueil-attestation",
        """Mme E., fonctionnaire territoriale, agente d'accueil d'une mairie, n'est tenue au
        secret par aucun texte. En instruisant une inscription à la cantine, elle constate qu'un
        usager a produit une attestation d'employeur falsifiée, ce qui peut constituer un
        délit.""",
        {
            **NO_PERIL,
            "secret-emetteur": "non",
            "hors-secret-enfant": "non",
            "hors-secret-maltraitance": "non",
            "agent-public": "oui",
            "agent-crime-delit": "oui",
        },
        "avis-procureur",
        deciding=["art. 40"],
        also=["L. 121-7"],
    ),
    situation(
        "agent-technique-voisin",
        """M. F., agent technique d'une commune, n'est tenu au secret par aucun texte. Un voisin
        lui demande pourquoi la famille du 3e reçoit souvent la visite des services sociaux. Il
        n'a connaissance d'aucun crime ni délit, et d'aucun enfant en danger.""",
        {
            **NO_PERIL,
            "secret-emetteur": "non",
            "hors-secret-enfant": "non",
            "hors-secret-maltraitance": "non",
            "agent-public": "oui",
            "agent-crime-delit": "non",
        },
        "discretion-vie-privee",
        deciding=["C. civ., art. 9", "L. 121-7"],
    ),
    situation(
        "gardien-immeuble",
        """Le gardien d'un immeuble, salarié d'une société privée et tenu au secret par aucun
        texte, est interrogé par un journaliste sur l'hospitalisation d'une locataire.""",
        {
            **NO_PERIL,
            "secret-emetteur": "non",
            "hors-secret-enfant": "non",
            "hors-secret-maltraitance": "non",
            "agent-public": "non",
        },
        "discretion-vie-privee",
        deciding=["C. civ., art. 9"],
    ),
    # ------------------------------------------------------------------ violences sur majeurs (F4.08, F4.09, F5.02)
    situation(
        "infirmiere-personne-agee",
        """Mme Diallo, infirmière libérale, soigne chaque matin M. Petit, 84 ans, atteint de
        troubles cognitifs, qui vit avec son fils. Elle constate des ecchymoses, un amaigrissement
        et un réfrigérateur souvent vide ; le fils est agressif envers son père. Rien n'appelle
        une intervention dans l'instant, mais le danger est sérieux.""",
        {
            **SERIOUS,
            "secret-emetteur": "sante",
            "situation": "violences",
            "adulte-vulnerable": "incapacite",
        },
        "signalement-sans-accord",
        deciding=["226-14, 1°", "226-14, 2°"],
        also=["L. 1110-4, I ("],
        points=[1, 9],
    ),
    situation(
        "foyer-handicap-attouchements",
        """Un moniteur-éducateur d'un foyer d'hébergement pour adultes handicapés apprend d'une
        résidente, qui a une déficience intellectuelle, qu'un visiteur lui a imposé des
        attouchements lors de ses dernières visites. Le visiteur n'est pas attendu avant
        plusieurs jours.""",
        {
            **SERIOUS,
            "secret-emetteur": "etablissement",
            "situation": "violences",
            "adulte-vulnerable": "incapacite",
        },
        "signalement-sans-accord",
        deciding=["226-14, 1°"],
        also=["L. 1110-4, I ("],
        points=[1, 9],
    ),
    situation(
        "urgences-emprise",
        """Mme N. consulte aux urgences pour une fracture du poignet. Elle finit par dire au
        médecin que son conjoint l'a poussée, qu'il a déjà menacé de la tuer et qu'elle « ne peut
        pas partir ». Elle refuse toute démarche. Le médecin estime en conscience que sa vie est
        en danger immédiat et qu'elle est sous emprise. Le conjoint n'est pas à l'hôpital : rien
        n'est à empêcher dans l'instant.""",
        {
            **SERIOUS,
            "secret-emetteur": "medecin",
            "situation": "violences",
            "adulte-vulnerable": "emprise",
            "emprise-sante": "oui",
            "violences-couple": "oui",
        },
        "signalement-violences-couple",
        deciding=["226-14, 3°"],
        also=["R. 4127-4"],
        points=[1, 2],
    ),
    situation(
        "sage-femme-emprise",
        """Une sage-femme de PMI suit une femme enceinte qui décrit un compagnon qui contrôle ses
        sorties, son téléphone et son argent, et l'humilie ; elle dit ne pas pouvoir lui tenir
        tête. Aucune violence physique, pas de danger immédiat pour sa vie. Elle refuse tout
        signalement.""",
        {
            **SERIOUS,
            "secret-emetteur": "sante",
            "situation": "violences",
            "adulte-vulnerable": "emprise",
            "emprise-sante": "oui",
            "violences-couple": "non",
            "victime-accord": "non",
        },
        "victime-refus",
        deciding=["226-14, 2°"],
        points=[2, 4],
    ),
    situation(
        "centre-sante-emprise-accord",
        """Une infirmière de centre de santé reçoit une patiente qui subit depuis des mois les
        coups de son conjoint, dont elle n'arrive pas à se défaire. Sa vie n'est pas en danger
        immédiat. Après un long entretien, elle accepte que l'infirmière signale les faits au
        procureur.""",
        {
            **SERIOUS,
            "secret-emetteur": "sante",
            "situation": "violences",
            "adulte-vulnerable": "emprise",
            "emprise-sante": "oui",
            "violences-couple": "non",
            "victime-accord": "oui",
        },
        "signalement-avec-accord",
        deciding=["226-14, 2°"],
        points=[2],
    ),
    situation(
        "ccas-emprise-ass",
        """Mme G., assistante de service social d'un CCAS, reçoit une femme qui décrit les
        violences de son conjoint et dit ne pas pouvoir le quitter. Rien n'est à empêcher dans
        l'instant. Mme G. n'est pas professionnelle de santé.""",
        {
            **SERIOUS,
            "secret-emetteur": "ass",
            "situation": "violences",
            "adulte-vulnerable": "emprise",
            "emprise-sante": "non",
        },
        "signalement-non-sante",
        deciding=["226-14, 2°", "226-14, 3°", "L. 411-3"],
        points=[2, 4],
    ),
    situation(
        "emprise-ne-sait-pas",
        """Un médecin du travail reçoit une salariée qui décrit les violences de son mari. Il ne
        sait pas dire si elle peut se protéger ; en l'écoutant, il comprend que c'est l'emprise
        de son mari qui l'empêche de partir, sans aucune incapacité liée à l'âge ou à la santé.
        Il n'estime pas sa vie en danger immédiat ; elle accepte qu'il signale.""",
        {
            **SERIOUS,
            "secret-emetteur": "medecin",
            "situation": "violences",
            "adulte-vulnerable": "nsp",
            "adulte-vulnerable-nsp": "emprise",
            "emprise-sante": "oui",
            "violences-couple": "non",
            "victime-accord": "oui",
        },
        "signalement-avec-accord",
        deciding=["226-14, 2°"],
        points=[2, 8],
    ),
    situation(
        "kine-frere",
        """M. K., masseur-kinésithérapeute, remarque des bleus sur les bras d'une patiente de
        35 ans, qui lui dit que son frère l'a bousculée lors d'une dispute. Elle est en mesure de
        se protéger et refuse qu'il en parle à quiconque.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "violences",
            "adulte-vulnerable": "oui",
            "violences-pro-sante": "oui",
            "victime-accord": "non",
        },
        "victime-refus",
        deciding=["226-14, 2°", "L. 1110-4, I ("],
        points=[4],
    ),
    situation(
        "educatrice-insertion-violences",
        """Une éducatrice spécialisée d'un centre d'hébergement et de réinsertion sociale
        apprend qu'un résident majeur, en bonne santé, a été frappé par un ancien colocataire. Il
        peut se protéger et ne souhaite pas porter plainte pour l'instant.""",
        {
            **NO_PERIL,
            "secret-emetteur": "etablissement",
            "situation": "violences",
            "adulte-vulnerable": "oui",
            "violences-pro-sante": "non",
        },
        "signalement-non-sante",
        deciding=["226-14, 2°", "L. 1110-4, I ("],
        points=[4],
    ),
    # ------------------------------------------------------------------ arme (F5.02 4°, F5.03)
    situation(
        "psychiatre-fusil",
        """Le Dr O., psychiatre dans un centre médico-psychologique, suit M. W., en grave crise,
        qui tient des propos menaçants envers son ancien employeur et détient un fusil de chasse.
        Aucun passage à l'acte n'est annoncé.""",
        {**SERIOUS, "secret-emetteur": "medecin", "situation": "arme", "arme-pro": "oui"},
        "signalement-arme",
        deciding=["226-14, 4°"],
        points=[1],
    ),
    situation(
        "secretaire-arme",
        """La secrétaire d'un centre médico-psychologique entend en salle d'attente un patient
        dire qu'il vient d'acheter une arme. Il ne la consulte pas : elle n'est ni professionnelle
        de santé ni professionnelle de l'action sociale.""",
        {
            **SERIOUS,
            "secret-emetteur": "etablissement",
            "situation": "arme",
            "arme-pro": "non",
        },
        "arme-non-consulte",
        deciding=["226-14, 4°", "L. 1110-4, I ("],
        points=[4],
    ),
    # ------------------------------------------------------------------ santé et médico-social (F3.01-F3.10)
    situation(
        "ehpad-transmission-orale",
        """À la relève, l'infirmière d'un EHPAD dit oralement à l'aide-soignante de l'équipe de
        l'après-midi que Mme P. refuse de manger depuis trois jours. Toutes deux travaillent dans
        l'établissement et s'occupent de Mme P., qui sait qu'une équipe la prend en charge.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "etablissement",
            "equipe-r1110-2": "oui",
        },
        "equipe-de-soins",
        deciding=["L. 1110-4, III, al. 1", "L. 1110-12"],
        points=[3],
    ),
    situation(
        "hopital-psychologue-oral",
        """Dans un centre hospitalier, une infirmière du service de chirurgie dit de vive voix
        à la psychologue du même hôpital, qui rencontre le patient chaque semaine, qu'il dort
        très mal et redoute l'opération.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "etablissement",
            "equipe-r1110-2": "oui",
        },
        "equipe-de-soins",
        deciding=["L. 1110-4, III, al. 1", "L. 1110-12", "R. 1110-2"],
        points=[3, 7],
    ),
    situation(
        "ehpad-dossier-de-soins",
        """Dans un EHPAD, l'infirmière coordinatrice note dans le dossier de soins, consultable
        par les soignants de l'établissement qui interviennent auprès de Mme P., qu'elle refuse
        de s'alimenter.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "etablissement",
            "equipe-r1110-2": "oui",
        },
        "equipe-de-soins",
        deciding=["L. 1110-4, III, al. 1", "L. 1110-12"],
        points=[3],
    ),
    situation(
        "maison-de-sante",
        """Dans une maison de santé pluriprofessionnelle, le médecin généraliste note dans le
        dossier commun, à l'attention de l'infirmière de la maison qui fait les pansements de
        M. A., que son diabète est déséquilibré.""",
        {
            **NO_PERIL,
            "secret-emetteur": "medecin",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "etablissement",
            "equipe-r1110-2": "oui",
        },
        "equipe-de-soins",
        deciding=["L. 1110-4, III, al. 1", "L. 1110-12"],
        also=["R. 4127-4"],
        points=[3],
    ),
    situation(
        "equipe-reconnue",
        """M. L., 70 ans, a déclaré par écrit que son infirmière libérale et son
        masseur-kinésithérapeute font partie de son équipe de soins. L'infirmière dit au
        kinésithérapeute que la plaie du talon s'est rouverte.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "reconnue",
            "equipe-r1110-2": "oui",
        },
        "equipe-de-soins",
        deciding=["L. 1110-12"],
        points=[3],
    ),
    situation(
        "infirmiere-kine-liberaux",
        """M. R., 78 ans, est rentré chez lui après une fracture du col du fémur. Son infirmière
        libérale constate que la cicatrice s'infecte et veut prévenir par téléphone son
        masseur-kinésithérapeute, qui exerce ailleurs, pour qu'il adapte les exercices. M. R.
        sait qu'ils se tiennent informés.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "non",
            "mode": "echange",
            "echange-r1110-2": "oui",
        },
        "echange-professionnels",
        deciding=["L. 1110-4, II", "R. 1110-2"],
        points=[7],
    ),
    situation(
        "ass-medecin-traitant",
        """Mme Q., assistante de service social d'un CCAS, accompagne M. D., 67 ans, qui sort de
        l'hôpital. Son médecin traitant l'appelle pour savoir si l'aide à domicile et le portage
        des repas sont en place.""",
        {
            **NO_PERIL,
            "secret-emetteur": "ass",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "non",
            "mode": "echange",
            "echange-r1110-2": "oui",
        },
        "echange-professionnels",
        deciding=["L. 1110-4, II", "R. 1110-1", "R. 1110-2"],
        also=["L. 411-3"],
        points=[7],
    ),
    situation(
        "ergotherapeute-materiel",
        """Une ergothérapeute veut envoyer au technicien du magasin de matériel médical qui
        règle le fauteuil roulant de M. V. le détail de ses troubles neurologiques. Après
        vérification, le métier de ce technicien ne figure pas dans la liste de l'art.
        R. 1110-2.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "non",
            "mode": "echange",
            "echange-r1110-2": "non",
        },
        "hors-r1110-2",
        deciding=["R. 1110-2"],
        points=[4, 7],
    ),
    situation(
        "collegue-curieuse",
        """Une infirmière d'un autre service du même hôpital demande à sa collègue des nouvelles
        d'un patient connu dans la ville, qu'elle ne soigne pas.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "non",
        },
        "hors-prise-en-charge",
        deciding=["L. 1110-4, II", "L. 1110-12", "L. 1110-4, I ("],
        points=[4],
    ),
    situation(
        "ssiad-divorce",
        """L'infirmière coordinatrice d'un SSIAD veut raconter au masseur-kinésithérapeute qui
        suit aussi M. C. les détails de son divorce et de ses dettes, qui n'ont rien à voir avec
        sa rééducation.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "non",
        },
        "non-necessaire",
        deciding=["R. 1110-1"],
        points=[4],
    ),
    situation(
        "ccas-plateforme-partagee",
        """Mme A., assistante de service social d'un CCAS, voudrait déposer le bilan social de
        M. T., 82 ans, sur une plateforme numérique consultable par les intervenants d'un service
        d'aide à domicile d'un autre gestionnaire. Elle ne sait pas si tous ceux qui y auront
        accès relèvent de l'art. R. 1110-2 : elle demande que l'accès soit limité aux
        professionnels de la liste. M. T. n'a pas encore été consulté.""",
        {
            **NO_PERIL,
            "secret-emetteur": "ass",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "nsp",
            "equipe-nsp": "non",
            "mode": "partage",
            "partage-r1110-2": "nsp",
            "partage-r1110-2-nsp": "limite",
            "consentement": "pas-encore",
        },
        "consentement-prealable",
        deciding=["L. 1110-4, III, al. 2"],
        points=[7, 8],
    ),
    situation(
        "boite-mail-generique",
        """Une infirmière hospitalière veut envoyer les consignes de soins de Mme S. à l'adresse
        électronique générique d'un service de soins à domicile d'un autre gestionnaire, lue par
        toute son équipe ; elle ne sait pas qui la lira. Mme S. a accepté, par écrit, que ces
        consignes soient partagées avec ce service.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "non",
            "mode": "echange",
            "echange-r1110-2": "nsp",
            "echange-r1110-2-nsp": "inconnu",
            "partage-r1110-2": "oui",
            "consentement": "oui",
        },
        "partage-consenti",
        deciding=["L. 1110-4, III, al. 2", "R. 1110-2"],
        points=[7],
    ),
    situation(
        "sortie-hopital-refus",
        """L'équipe d'un centre hospitalier veut rendre le compte rendu d'hospitalisation de
        M. Denis consultable par un SSIAD d'un autre gestionnaire. M. Denis refuse.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "coordination",
            "coord-participe": "oui",
            "coord-necessaire": "oui",
            "equipe": "non",
            "mode": "partage",
            "partage-r1110-2": "oui",
            "consentement": "refus",
        },
        "refus-consentement",
        deciding=["L. 1110-4, III, al. 2"],
        points=[4],
    ),
    # ------------------------------------------------------------------ action sociale (F3.21, F3.22)
    situation(
        "ccas-famille-aggravation",
        """M. G., assistant de service social d'un CCAS, suit une famille de quatre enfants :
        impayés, procédure d'expulsion, aînés qui décrochent de l'école, mère hospitalisée. Il
        estime qu'il faut désormais plusieurs intervenants (logement, scolarité, santé) et veut
        savoir qui informer et avec qui travailler.""",
        {
            **NO_PERIL,
            "secret-emetteur": "ass",
            "situation": "action-sociale",
            "as-aggravation": "oui",
        },
        "action-sociale",
        deciding=["L. 121-6-2"],
        points=[6],
    ),
    situation(
        "mairie-demande-aggravation",
        """Yanis, éducateur spécialisé tenu au secret au titre de sa mission d'aide sociale à
        l'enfance, est appelé par le service jeunesse de la mairie au sujet d'un adolescent dont
        la famille connaît des difficultés qui s'aggravent et appellent plusieurs
        intervenants.""",
        {
            **NO_PERIL,
            "secret-emetteur": "mission",
            "situation": "demande-exterieure",
            "exterieur-maire": "oui",
            "as-aggravation": "oui",
        },
        "action-sociale",
        deciding=["L. 121-6-2"],
        points=[6],
    ),
    situation(
        "mairie-demande-stable",
        """Le même service jeunesse appelle au sujet d'un autre adolescent dont se plaignent
        des riverains. La situation de la famille est stable et l'éducateur est le seul
        professionnel à intervenir.""",
        {
            **NO_PERIL,
            "secret-emetteur": "mission",
            "situation": "demande-exterieure",
            "exterieur-maire": "oui",
            "as-aggravation": "non",
        },
        "action-sociale-refus",
        deciding=["L. 121-6-2", "L. 221-6"],
        points=[4, 6],
    ),
    situation(
        "departement-partenaires",
        """Une assistante de service social du département voit les difficultés d'une famille
        s'aggraver (dettes, santé du père, absentéisme) et veut travailler avec la conseillère
        logement du CCAS et l'assistante sociale scolaire qui interviennent déjà.""",
        {
            **NO_PERIL,
            "secret-emetteur": "ass",
            "situation": "action-sociale",
            "as-aggravation": "nsp",
            "as-aggravation-nsp": "oui",
        },
        "action-sociale",
        deciding=["L. 121-6-2"],
        points=[6, 8],
    ),
    # ------------------------------------------------------------------ proches (F4.03, F4.05, F4.06)
    situation(
        "fille-pronostic-grave",
        """M. V., 70 ans, est hospitalisé pour un cancer au pronostic grave. Sa fille demande au
        Dr S. comment la maladie va évoluer, pour organiser son soutien. M. V. ne s'y est jamais
        opposé.""",
        {
            **NO_PERIL,
            "secret-emetteur": "medecin",
            "situation": "proches",
            "proches-medecin": "oui",
            "proches-diagnostic": "oui",
            "proches-opposition": "non",
        },
        "proches-diagnostic-grave",
        deciding=["L. 1110-4, V"],
    ),
    situation(
        "medecin-epouse-opposition",
        """Le Dr H. suit M. J., atteint d'une maladie grave. M. J. lui a dit ne pas vouloir que
        sa femme soit informée de son pronostic. Elle appelle le Dr H.""",
        {
            **NO_PERIL,
            "secret-emetteur": "medecin",
            "situation": "proches",
            "proches-medecin": "oui",
            "proches-diagnostic": "oui",
            "proches-opposition": "oui",
        },
        "proches-refus",
        deciding=["L. 1110-4, V"],
        points=[4],
    ),
    situation(
        "medecin-diagnostic-benin",
        """La mère d'un patient de 30 ans, suivi pour une entorse, demande au médecin ce qu'a son
        fils.""",
        {
            **NO_PERIL,
            "secret-emetteur": "medecin",
            "situation": "proches",
            "proches-medecin": "oui",
            "proches-diagnostic": "non",
        },
        "proches-refus",
        deciding=["L. 1110-4, V"],
        points=[4],
    ),
    situation(
        "infirmiere-fils-telephone",
        """Mme Garnier, hospitalisée pour une maladie au pronostic grave, a dit ne pas vouloir
        que son fils soit informé. Il appelle l'infirmière du service pour connaître son
        état.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "proches",
            "proches-medecin": "non",
        },
        "proches-seul-medecin",
        deciding=["L. 1110-4, V", "L. 1110-4, I ("],
        points=[4],
    ),
    situation(
        "secretaire-ehpad-neveu",
        """La secrétaire administrative d'un EHPAD reçoit l'appel du neveu d'une résidente, qui
        veut savoir si sa tante a été hospitalisée et de quoi elle souffre. Elle pense que, n'étant
        pas soignante, elle n'est pas tenue au secret.""",
        {
            **NO_PERIL,
            "secret-emetteur": "nsp",
            "secret-emetteur-nsp": "etablissement",
            "situation": "proches",
            "proches-medecin": "non",
        },
        "proches-seul-medecin",
        deciding=["L. 1110-4, V", "L. 1110-4, I ("],
        points=[4, 8],
    ),
    # ------------------------------------------------------------------ tiers (F2.07, F2.01)
    situation(
        "infirmiere-scolaire-professeur",
        """L'infirmière d'un collège reçoit souvent Théo, 13 ans, atteint d'une maladie
        chronique. Son professeur principal lui demande « ce qu'a Théo » pour adapter ses cours.
        Rien ne laisse penser que Théo soit en danger.""",
        {
            **NO_PERIL,
            "secret-emetteur": "sante",
            "situation": "demande-exterieure",
            "exterieur-maire": "non",
        },
        "pas-de-partage",
        deciding=["226-13", "L. 1110-4, I ("],
        also=["C. civ., art. 9"],
        points=[4],
    ),
    situation(
        "assureur-medecin",
        """Une compagnie d'assurances écrit au Dr H. pour connaître les antécédents de sa
        patiente, qui souscrit un prêt. Le courrier assure que « la patiente ne s'y opposera
        certainement pas ».""",
        {
            **NO_PERIL,
            "secret-emetteur": "medecin",
            "situation": "demande-exterieure",
            "exterieur-maire": "non",
        },
        "pas-de-partage",
        deciding=["226-13", "R. 4127-4"],
        points=[4, 9],
    ),
    situation(
        "ass-bailleur",
        """Le bailleur d'un locataire suivi par Mme P., assistante de service social, lui demande
        si son locataire « a des problèmes » et s'il va payer ses dettes.""",
        {
            **NO_PERIL,
            "secret-emetteur": "ass",
            "situation": "demande-exterieure",
            "exterieur-maire": "non",
        },
        "pas-de-partage",
        deciding=["226-13", "L. 411-3"],
        points=[4],
    ),
    situation(
        "agent-accueil-ehpad-employeur",
        """L'agent d'accueil d'un EHPAD reçoit l'appel de l'ancien employeur d'un résident, qui
        veut savoir s'il « a toute sa tête ». L'agent ne sait pas quelle situation choisir et
        constate qu'aucune ne correspond.""",
        {
            **NO_PERIL,
            "secret-emetteur": "etablissement",
            "situation": "nsp",
            "situation-nsp": "aucune",
        },
        "pas-de-partage",
        deciding=["226-13", "L. 1110-4, I ("],
        points=[4, 8],
    ),
]
