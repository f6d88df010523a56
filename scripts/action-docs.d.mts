export declare const START: string;
export declare const END: string;
export declare function actionTables(actionYml: string): string;
export declare function withActionTables(readme: string, actionYml: string): string | undefined;
