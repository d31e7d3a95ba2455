/** Every action the server records, as the organizer reads it in the log (tests/unit/audit-labels.test.ts keeps it complete). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'application.create': 'Заявка начата (черновик)',
  'application.answers.save': 'Ответы заявки сохранены',
  'application.file.add': 'Файл прикреплён к заявке',
  'application.file.remove': 'Файл удалён из заявки',
  'application.submit': 'Заявка подана',
  'application.withdraw': 'Заявка отозвана',
  'application.accept': 'Заявка принята',
  'application.return': 'Заявка возвращена на доработку',
  'application.reject': 'Заявка отклонена',
  'application.extension': 'Срок подачи заявки изменён',

  'contest.create': 'Конкурс создан',
  'contest.update': 'Конкурс изменён',
  'contest.copy': 'Конкурс создан копированием',
  'contest.archive': 'Конкурс перенесён в архив',
  'contest.unarchive': 'Конкурс возвращён из архива',
  'contest.rules_file': 'Файл положения загружен',
  'contest.form.save': 'Форма заявки сохранена',

  'jury.settings': 'Настройки жюри изменены',
  'jury.rubric': 'Критерии оценки изменены',
  'jury.member.add': 'Член жюри добавлен',
  'jury.member.remove': 'Член жюри исключён',
  'jury.member.municipality': 'Муниципалитет члена жюри исправлен',
  'jury.invite': 'Приглашение в жюри отправлено',
  'jury.invite.accept': 'Приглашение в жюри принято',
  'jury.invite.cancel': 'Приглашение в жюри отменено',
  'jury.chair': 'Председатель жюри изменён',
  'jury.assign': 'Заявка назначена члену жюри',
  'jury.assign.auto': 'Заявки распределены между членами жюри',
  'jury.unassign': 'Заявка снята с члена жюри',
  'jury.conflict.add': 'Заявлен конфликт интересов',
  'jury.conflict.remove': 'Конфликт интересов снят',
  'jury.sheet.submit': 'Оценочный лист отправлен',
  'jury.sheet.reopen': 'Оценочный лист возвращён на доработку',
  'jury.result_override.set': 'Место изменено вручную',
  'jury.result_override.remove': 'Ручное изменение места отменено',
  'jury.results.publish': 'Результаты конкурса опубликованы',
  'jury.results.unpublish': 'Результаты конкурса сняты с публикации',

  'olympiad.create': 'Олимпиада создана',
  'olympiad.update': 'Олимпиада изменена',
  'olympiad.settings.update': 'Настройки олимпиады изменены',
  'olympiad.task.create': 'Задание олимпиады добавлено',
  'olympiad.task.update': 'Задание олимпиады изменено',
  'olympiad.task.delete': 'Задание олимпиады удалено',
  'olympiad.tasks.import': 'Задания олимпиады загружены',
  'olympiad.roster.import': 'Список участников олимпиады загружен',
  'olympiad.registration_settings.set': 'Настройки самостоятельной регистрации изменены',
  'olympiad.self_register': 'Участник зарегистрировался на олимпиаду',
  'olympiad.participant.remove': 'Участник удалён из списка олимпиады',
  'olympiad.attempt.void': 'Работа участника аннулирована',
  'olympiad.late_answer.accept': 'Опоздавший ответ засчитан',
  'olympiad.attempt.start': 'Участник начал олимпиаду',
  'olympiad.attempt.finish': 'Участник завершил олимпиаду',
  'olympiad.attempt.deadline': 'Работа закрыта по истечении времени',
  'olympiad.grader.add': 'Проверяющий добавлен',
  'olympiad.grader.remove': 'Проверяющий исключён',
  'olympiad.grading_settings.set': 'Настройки проверки изменены',
  'olympiad.grade.put': 'Ответ оценён проверяющим',
  'olympiad.grade.decide': 'Председатель решил спор об оценке',
  'olympiad.award_rule.set': 'Правило награждения изменено',
  'olympiad.results.publish': 'Результаты олимпиады опубликованы',
  'olympiad.appeal.file': 'Подана апелляция',
  'olympiad.appeal.decide': 'Апелляция рассмотрена',

  'certificate.issue': 'Наградной документ выдан',
  'certificate.revoke': 'Наградной документ отозван',
  'certificate.replace': 'Наградной документ выдан взамен отозванного',
  'certificates.organisation_update': 'Реквизиты организации для наградных документов изменены',
  'certificates.name_forms_update': 'Склонение ФИО получателя исправлено',
  'certificates.issue_from_results': 'Наградные документы приведены в соответствие с итогами',
  'certificate_template.update': 'Шаблон наградного документа изменён',
  'certificate_image.set': 'Изображение для наградных документов загружено',
  'certificate_image.remove': 'Изображение для наградных документов удалено',

  'user.roles.set': 'Роли пользователя изменены',
  'user.password.reset_request': 'Запрошена ссылка для нового пароля',
  'user.password.reset': 'Пароль задан по ссылке из письма',
  'user.password.change': 'Пароль изменён',
  'user.email.verify': 'Адрес электронной почты подтверждён',
};

/** The Russian label of an action; an action without one shows its code. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

/** What an entry is about, in Russian: every `entity:` the server records. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  application: 'Заявка',
  application_form: 'Форма заявки',
  contest: 'Конкурс',
  score_sheet: 'Оценочный лист',
  olympiad: 'Олимпиада',
  olympiad_task: 'Задание олимпиады',
  olympiad_attempt: 'Работа участника олимпиады',
  olympiad_answer: 'Ответ участника олимпиады',
  olympiad_appeal: 'Апелляция',
  certificate: 'Наградной документ',
  certificate_template: 'Шаблон наградного документа',
  certificate_image: 'Изображение для наградных документов',
  certificate_organisation: 'Реквизиты организации',
  certificate_recipient: 'Получатель наградного документа',
  user: 'Пользователь',
};

/** The Russian name of what an entry is about; an unknown kind shows its code. */
export function auditEntityLabel(entity: string): string {
  return AUDIT_ENTITY_LABELS[entity] ?? entity;
}
