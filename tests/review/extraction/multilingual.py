"""Four short news articles in Spanish, French, Arabic (right to left) and Russian, with their claims marked by hand.

Each article lists its sentences in order; ``True`` marks a sentence a checker would take as a claim
to check (a figure, a statement of fact attributed to someone, a quoted assertion, a checkable event),
``False`` one they would not (a question, an opinion, advice, a schedule, a pointer to more coverage).
"""

ARTICLES = {
    "es": [
        ("El Ministerio de Salud informó el lunes que 1.240 personas fueron hospitalizadas por dengue en marzo, "
         "un 35% más que el año anterior.", True),
        ("La epidemia se concentra en las provincias del norte.", True),
        ("«Tenemos suficientes camas para todos los pacientes», dijo la ministra Carla Ortiz en una conferencia "
         "de prensa.", True),
        ("Sin embargo, médicos del hospital central aseguraron que los pasillos están llenos de enfermos.", True),
        ("¿Está preparado el sistema sanitario?", False),
        ("Muchos vecinos temen lo peor.", False),
        ("Según la Organización Panamericana de la Salud, los casos en la región se triplicaron desde 2023.", True),
        ("Las autoridades recomiendan usar repelente y eliminar el agua estancada.", False),
        ("El gobierno destinó 12 millones de pesos a campañas de fumigación.", True),
        ("La próxima reunión del comité será el 14 de abril a las 10 de la mañana.", False),
    ],
    "fr": [
        ("Le chômage a reculé à 7,1 % au troisième trimestre, selon l'Insee.", True),
        ("« C'est le niveau le plus bas depuis quinze ans », a déclaré le ministre du Travail.", True),
        ("Les syndicats contestent ce chiffre.", False),
        ("D'après eux, près de 300 000 personnes ont cessé de chercher un emploi et ne sont plus comptées.", True),
        ("Le débat promet d'être vif à l'Assemblée.", False),
        ("Le gouvernement a annoncé la création de 50 000 postes dans la fonction publique d'ici 2026.", True),
        ("Qui croire ?", False),
        ("La réforme de l'assurance chômage entrera en vigueur en janvier.", True),
        ("Retrouvez notre dossier complet en page 12 de l'édition du week-end.", False),
    ],
    "ar": [
        ("قالت وزارة الصحة إن 300 شخص قتلوا في القصف على حماة يوم الاثنين.", True),
        ("وأضافت الوزارة أن بين القتلى 45 طفلا.", True),
        ("وقال المتحدث باسم الجيش: «قواتنا لم تستهدف أي منطقة سكنية».", True),
        ("ما الذي يحدث في المدينة؟", False),
        ("يعيش السكان في خوف دائم منذ أسابيع.", False),
        ("وبحسب المرصد السوري لحقوق الإنسان، فر أكثر من 10 آلاف شخص من المدينة خلال أسبوع.", True),
        ("الوضع الإنساني صعب للغاية في كل الأحياء.", False),
        ("وأعلنت الأمم المتحدة أنها أرسلت 20 شاحنة مساعدات إلى المنطقة.", True),
        ("تابعوا تغطيتنا المباشرة على الصفحة 3 من موقعنا.", False),
    ],
    "ru": [
        ("Министерство обороны заявило, что силы ПВО сбили 25 беспилотников над областью.", True),
        ("По словам губернатора, никто не пострадал.", True),
        ("Жители сообщают о громких взрывах в центре города ночью.", True),
        ("Что будет дальше, пока неясно.", False),
        ("В прошлом году на регион было совершено более 300 атак.", True),
        ("Эксперты считают ситуацию очень тревожной.", False),
    ],
}


def article(language: str) -> tuple[str, list[str], list[str]]:
    """Return an article's text, its claim sentences and its other sentences (paragraphs of two sentences)."""
    sentences = ARTICLES[language]
    paragraphs = [" ".join(s for s, _ in sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
    return "\n\n".join(paragraphs), [s for s, claim in sentences if claim], [s for s, claim in sentences if not claim]
